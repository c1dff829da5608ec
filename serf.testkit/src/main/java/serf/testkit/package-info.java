/**
 * Test support shared by this project's test suites (not published): the Go agent as a peer
 * ({@code GoSerfAgent}: starts Debian's {@code /usr/bin/serf}, hands out free ports), the repository's
 * vectors of real bytes from the Go implementation ({@code TestVectors}), polling with deadlines
 * ({@code Poll}), and process, RSS and thread probes for the limits tests.
 */
package serf.testkit;
