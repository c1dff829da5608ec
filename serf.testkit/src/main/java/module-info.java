/**
 * Test support shared by the modules' test suites (test scope only, never shipped): polling with
 * deadlines and a driver for the real Go serf agent.
 */
module serf.testkit {
    requires serf.wire;

    exports serf.testkit;
}
