/**
 * Encryption as Go memberlist does it: a {@link serf.crypto.Keyring} of AES keys (the primary encrypts,
 * all of them are tried to decrypt), AES-GCM messages in memberlist's two formats
 * ({@link serf.crypto.Encryption}), base64 key text as {@code serf keygen} prints it
 * ({@link serf.crypto.Keys}) and the agent's keyring file ({@link serf.crypto.KeyringFile}).
 *
 * <p>Where to start: {@code Keyring.of(List.of(key), key)} for a memberlist configuration, or
 * {@code KeyringFile.read(path)} for the agent's file. Failures carry Go's error texts
 * ({@link serf.crypto.KeyringException}, {@link serf.crypto.DecryptionException}), since the agent and its
 * RPC clients print them.
 *
 * <p><b>Threads.</b> A {@code Keyring} is safe to share: readers never block and see a rotation whole;
 * changes are serialized. The other classes are stateless. The formats are described in the
 * repository's {@code docs/protocol/snapshot-keyring.md} and {@code docs/protocol/memberlist-wire.md}.
 */
package serf.crypto;
