package serf.agent.cli;

/**
 * The help texts of the CLI's commands ({@code serf <command> -h}, and after a flag error). They are
 * written for this project; what they describe is the Go CLI's: the same commands, flags and
 * defaults, and the same first line ({@code Usage: serf <command> ...}) that scripts look for.
 */
public final class HelpTexts {
    private HelpTexts() {
    }

    /** `serf agent -h`: the same text the agent prints with a usage error. */
    public static final String AGENT = serf.agent.config.AgentUsage.text();

    /** `serf event -h`. */
    public static final String EVENT = String.join("\n",
            "Usage: serf event [options] name payload",
            "",
            "  Sends a user event with the given name (and optional payload) to every",
            "  member of the cluster.",
            "",
            "Options:",
            "",
            "  -coalesce=true/false      Whether members may deliver only the newest of",
            "                            several events of this name that arrive close",
            "                            together (true unless given).",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf force-leave -h`. */
    public static final String FORCE_LEAVE = String.join("\n",
            "Usage: serf force-leave [options] name",
            "",
            "  Marks a member as having left the cluster. Use it for failed nodes that",
            "  will not come back: otherwise the cluster keeps trying to reach them for",
            "  a while before it gives up on them. A node that is in fact still running",
            "  will join again by itself.",
            "",
            "Options:",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.",
            "  -prune                    Also remove the member from the member list at once.");

    /** `serf info -h`. */
    public static final String INFO = String.join("\n",
            "Usage: serf info [options]",
            "",
            "\tPrints the agent's state and statistics, for operators debugging it.",
            "",
            "Options:",
            "",
            "  -format                  Output format: 'text' (the default) or 'json'.",
            "",
            "  -rpc-addr=127.0.0.1:7373 RPC address of the agent to talk to.",
            "",
            "  -rpc-auth=\"\"             Key for an agent that requires RPC authentication.");

    /** `serf join -h`. */
    public static final String JOIN = String.join("\n",
            "Usage: serf join [options] address ...",
            "",
            "  Asks a running agent to join a cluster through one or more addresses of",
            "  members that are already in it.",
            "",
            "Options:",
            "",
            "  -replay                   Also deliver the user events the cluster sent before.",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf keygen -h`. */
    public static final String KEYGEN = String.join("\n",
            "Usage: serf keygen",
            "",
            "  Prints a new random encryption key, in the form that the agent takes it",
            "  (its -encrypt flag and encrypt_key setting).");

    /** `serf keys -h`. */
    public static final String KEYS = String.join("\n",
            "Usage: serf keys [options]...",
            "",
            "  Changes or lists the encryption keyring of every member: the change is",
            "  sent to the whole cluster and each member applies it to its own keyring.",
            "  Repeating an operation does no harm.",
            "",
            "  Several keys can be installed at once so that a key can be replaced",
            "  without downtime: members encrypt with the single primary key and accept",
            "  messages encrypted with any installed key.",
            "",
            "  The exit code is 0 when every member answered without error, else 1.",
            "",
            "  Keep more than one key installed only while rotating keys: every extra",
            "  key costs time on each message received.",
            "",
            "Options:",
            "",
            "  -install=<key>            Add a key to every keyring. Members accept it at",
            "                            once but only encrypt with it after -use.",
            "  -use=<key>                Make an installed key the primary key. Members",
            "                            that lack the key can no longer talk to the others.",
            "  -remove=<key>             Remove a key from every keyring. The primary key",
            "                            cannot be removed.",
            "  -list                     Ask every member for its keys and print each key",
            "                            with the number of members that have it.",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf leave -h`. */
    public static final String LEAVE = String.join("\n",
            "Usage: serf leave",
            "",
            "  Makes the agent leave the cluster gracefully, then stop.",
            "",
            "Options:",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf members -h`. */
    public static final String MEMBERS = String.join("\n",
            "Usage: serf members [options]",
            "",
            "  Lists the cluster's members as the agent sees them.",
            "",
            "Options:",
            "",
            "  -detailed                 Add the protocol versions of each member (text",
            "                            format only).",
            "",
            "  -format                   Output format: 'text' (the default) or 'json'.",
            "",
            "  -name=<regexp>            Only members whose name matches the regular",
            "                            expression, which must match the whole name.",
            "",
            "  -role=<regexp>            Only members whose role tag matches the regular",
            "                            expression (whole value). Deprecated: use",
            "                            '-tag role=<regexp>' instead.",
            "",
            "  -status=<regexp>          Only members whose status (alive, leaving, left,",
            "                            failed) matches the regular expression.",
            "",
            "  -tag <key>=<regexp>       Only members with tag <key> whose value matches",
            "                            the regular expression (whole value). Repeat the",
            "                            flag to filter on several tags.",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf monitor -h`. */
    public static final String MONITOR = String.join("\n",
            "Usage: serf monitor [options]",
            "",
            "  Prints the agent's recent log lines, then new ones as they are written,",
            "  until interrupted. The level chosen here is independent of the agent's",
            "  own: an agent that logs at INFO still shows DEBUG lines to a monitor",
            "  that asks for them.",
            "",
            "Options:",
            "",
            "  -log-level=info          Lowest level of the lines to show.",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf query -h`. */
    public static final String QUERY = String.join("\n",
            "Usage: serf query [options] name payload",
            "",
            "  Sends a query to the cluster and prints the acknowledgements and",
            "  responses of the members as they arrive.",
            "",
            "Options:",
            "",
            "  -format                   Output format: 'text' (the default) or 'json'.",
            "",
            "  -node=NAME                Only this node answers. Repeat the flag to name",
            "                            several nodes.",
            "",
            "  -tag key=regexp           Only nodes whose tag matches answer. Repeat the",
            "                            flag to filter on several tags.",
            "",
            "  -timeout=\"15s\"            How long to wait for answers, instead of the",
            "                            default that depends on the cluster's size.",
            "",
            "  -no-ack                   Do not ask nodes to acknowledge the query.",
            "",
            "  -relay-factor             Number of extra members each response is also",
            "                            sent through, in case a path loses it.",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf reachability -h`. */
    public static final String REACHABILITY = String.join("\n",
            "Usage: serf reachability [options]",
            "",
            "  Checks that every live member can be reached from this node",
            "",
            "Options:",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.",
            "  -verbose                  Print each acknowledgement and the timings");

    /** `serf rtt -h`. */
    public static final String RTT = String.join("\n",
            "Usage: serf rtt [options] node1 [node2]",
            "",
            "  Estimates the network round trip time between two nodes from the",
            "  cluster's network coordinates.",
            "",
            "  Without a second node, the estimate is between node1 and the agent's",
            "  own node. Nodes are given by their names in the cluster (as serf members",
            "  lists them), not by address.",
            "",
            "Options:",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.");

    /** `serf tags -h`. */
    public static final String TAGS = String.join("\n",
            "Usage: serf tags [options] ...",
            "",
            "  Changes the tags of a running agent's node.",
            "",
            "Options:",
            "",
            "  -rpc-addr=127.0.0.1:7373  RPC address of the agent to talk to.",
            "  -rpc-auth=\"\"              Key for an agent that requires RPC authentication.",
            "  -set key=value            Set a tag, adding it or changing its value",
            "  -delete key               Remove a tag if the node has it");

}
