package serf.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link SerfClient} connects.
 *
 * @param address the agent's RPC address, {@code host:port} (e.g. {@code 127.0.0.1:7373}; an
 *                IPv6 host in brackets)
 * @param authKey the agent's {@code rpc_auth} key; empty when the agent asks for none
 * @param timeout how long connecting may take; {@link SerfClient#DEFAULT_TIMEOUT} when null
 */
public record ClientConfig(String address, String authKey, Duration timeout) {

    /**
     * Fills in the defaults: no key, {@link SerfClient#DEFAULT_TIMEOUT}.
     *
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ClientConfig {
        Objects.requireNonNull(address, "address");
        authKey = authKey == null ? "" : authKey;
        timeout = timeout == null ? SerfClient.DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * A configuration with no key and the default timeout.
     *
     * @param address the agent's RPC address, {@code host:port}
     * @return the configuration
     */
    public static ClientConfig of(String address) {
        return new ClientConfig(address, "", null);
    }

    /**
     * This configuration with another authentication key.
     *
     * @param key the agent's {@code rpc_auth} key
     * @return a new configuration
     */
    public ClientConfig withAuthKey(String key) {
        return new ClientConfig(address, key, timeout);
    }

    /**
     * This configuration with another connect timeout.
     *
     * @param connectTimeout how long connecting may take
     * @return a new configuration
     */
    public ClientConfig withTimeout(Duration connectTimeout) {
        return new ClientConfig(address, authKey, connectTimeout);
    }
}
