package serf.memberlist.transport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** This package's argument order for {@link serf.testkit.Poll#until}. */
final class Poll {

    private Poll() {
    }

    static void until(Duration timeout, BooleanSupplier condition, String what) {
        serf.testkit.Poll.until(what, timeout, condition);
    }
}
