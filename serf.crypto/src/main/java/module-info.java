/**
 * Keyring and AES-GCM packet/stream encryption in memberlist's formats, and the keyring file.
 */
module serf.crypto {
    requires serf.wire;

    exports serf.crypto;
}
