/**
 * The configuration of {@code serf agent}, read exactly as the Go agent reads it.
 *
 * <ul>
 *   <li>{@link serf.agent.config.AgentConfigLoader} parses the command line (Go {@code flag} rules, via
 *       {@code serf.agent.internal.GoFlagSet}), reads {@code -config-file}/{@code -config-dir} JSON with Go's
 *       decoding, merge order and error texts, and yields a {@link serf.agent.config.LoadedConfig}.</li>
 *   <li>{@link serf.agent.config.AgentConfig} is every field of Go's agent {@code Config}, with
 *       {@code defaults()} and Go's {@code merge}.</li>
 *   <li>{@link serf.agent.config.AgentConfigValidator} makes the start-up checks that follow (log level,
 *       addresses, key, profile, tags and keyring files, protocol), in Go's order.</li>
 *   <li>{@link serf.agent.config.ConfigException#print} writes a refusal exactly as the Go agent does
 *       (stdout/stderr, {@code ==> } prefix, usage after flag errors).</li>
 *   <li>{@link serf.agent.config.AddrParts} and {@link serf.agent.config.TagsFile} are Go's address
 *       splitting and the tags file; Go's duration syntax is {@code serf.agent.internal.GoDuration}.</li>
 * </ul>
 *
 * <p>The texts were compared byte for byte with the Debian {@code serf} 0.9.4 binary for some seventy
 * refused inputs (see the comparison test).
 */
package serf.agent.config;
