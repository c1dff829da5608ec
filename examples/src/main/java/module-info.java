/** Small programs that embed the library. */
module examples {
    requires serf.memberlist;
    requires serf.api;
    requires serf.sim;
}
