package serf.wire;

import java.io.IOException;

/**
 * Input was refused because the {@link InputBudget} could not cover the memory it needs. An I/O
 * failure of the one stream or frame concerned, never of the node: the caller drops that input,
 * counts it and goes on.
 */
public final class InputRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates one.
     *
     * @param message what was refused and why
     */
    public InputRefusedException(String message) {
        super(message);
    }
}
