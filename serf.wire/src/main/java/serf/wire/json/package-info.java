/**
 * A small JSON reader and writer: enough for the agent's configuration and keyring files and for the
 * output formats of the CLI, with output that matches Go's {@code encoding/json} byte for byte.
 *
 * <p>Start with {@link serf.wire.json.Json}: {@code parse} yields plain JDK values (maps, lists, strings,
 * numbers, booleans, null) within {@link serf.wire.json.JsonLimits}; {@code write} and {@code writePretty}
 * produce Go's compact and indented forms. Stateless and thread-safe.
 */
package serf.wire.json;
