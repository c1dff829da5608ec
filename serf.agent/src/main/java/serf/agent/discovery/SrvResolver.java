package serf.agent.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Join addresses given as DNS SRV names (serf#305): an address for {@code -join}, {@code start_join},
 * {@code retry_join} or {@code serf join} whose host begins with an underscore, such as
 * {@code _serf._tcp.example.com}, is looked up as SRV records, and each target with its port
 * becomes {@code ip:port} addresses (all A and AAAA records of the target). A port written after
 * the name is ignored: the records give the ports. Host names cannot begin with an underscore, so
 * no address that worked before changes meaning.
 *
 * <p>The lookups use the JDK's DNS provider ({@code jdk.naming.dns}) against the system's name
 * servers (those of {@code /etc/resolv.conf}), or against one server given as {@code host[:port]}
 * (the agent takes it from {@code SERF_DNS_SERVER}). With a server given, the targets' addresses
 * come from it too; otherwise from the system resolver (so {@code /etc/hosts} applies). Bounded: at
 * most {@link #MAX_RECORDS} SRV records a name and {@link #MAX_ADDRESSES} addresses a target; each
 * query times out after a second and is tried three times.
 */
public final class SrvResolver {
    static final int MAX_RECORDS = 32;
    static final int MAX_ADDRESSES = 8;

    private final String server;

    private SrvResolver(String server) {
        this.server = server;
    }

    /** Lookups through the system's name servers. */
    public static SrvResolver system() {
        return new SrvResolver(null);
    }

    /** Lookups through one name server, {@code host[:port]} (port 53 by default); blank means the system's. */
    public static SrvResolver of(String server) {
        return server == null || server.isBlank() ? system() : new SrvResolver(server.strip());
    }

    /** Whether {@code addr} names SRV records: its host part begins with an underscore. */
    public static boolean isSrvName(String addr) {
        return addr.startsWith("_");
    }

    /** A failed lookup, with a message naming the name. */
    public static final class LookupException extends Exception {
        private static final long serialVersionUID = 1L;

        LookupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The addresses to join: each SRV name replaced by its targets' {@code ip:port} (lowest priority
     * first, heavier weight first within one), every other address unchanged.
     *
     * @param failures receives one message per SRV name that gave no address
     */
    public List<String> expand(List<String> addrs, List<String> failures) {
        List<String> out = new ArrayList<>();
        for (String a : addrs) {
            if (!isSrvName(a)) {
                out.add(a);
                continue;
            }
            try {
                List<String> found = resolve(a);
                if (found.isEmpty()) {
                    failures.add("no addresses for SRV name " + a);
                }
                out.addAll(found);
            } catch (LookupException e) {
                failures.add(e.getMessage());
            }
        }
        return out;
    }

    /** One SRV name to {@code ip:port} addresses. */
    public List<String> resolve(String addr) throws LookupException {
        String name = stripPort(addr);
        List<Srv> records = new ArrayList<>();
        DirContext ctx = null;
        try {
            ctx = context();
            for (String v : values(ctx, name, "SRV")) {
                Srv s = Srv.parse(v);
                if (s != null && !s.target.equals(".") && records.size() < MAX_RECORDS) {
                    records.add(s);
                }
            }
            records.sort(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()));
            List<String> out = new ArrayList<>();
            for (Srv s : records) {
                for (String ip : addresses(ctx, s.target)) {
                    String hp = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + s.port;
                    if (!out.contains(hp)) {
                        out.add(hp);
                    }
                }
            }
            return out;
        } catch (NamingException e) {
            throw new LookupException("SRV lookup of " + name + " failed: " + e.getExplanation(), e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    // nothing to release beyond this
                }
            }
        }
    }

    private List<String> addresses(DirContext ctx, String target) throws NamingException, LookupException {
        List<String> out = new ArrayList<>();
        if (server == null) {
            try {
                for (InetAddress a : InetAddress.getAllByName(target.endsWith(".") ? target.substring(0, target.length() - 1) : target)) {
                    if (out.size() < MAX_ADDRESSES) {
                        out.add(a.getHostAddress());
                    }
                }
            } catch (UnknownHostException e) {
                throw new LookupException("no address for SRV target " + target + ": " + e.getMessage(), e);
            }
            return out;
        }
        for (String type : new String[] {"A", "AAAA"}) {
            try {
                for (String v : values(ctx, target, type)) {
                    if (out.size() < MAX_ADDRESSES) {
                        out.add(InetAddress.getByName(v.strip()).getHostAddress());
                    }
                }
            } catch (javax.naming.NameNotFoundException e) {
                // no such record type for this name
            } catch (UnknownHostException e) {
                throw new LookupException("bad " + type + " record for " + target + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private DirContext context() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, server == null ? "dns:" : "dns://" + server + "/");
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "3");
        return new InitialDirContext(env);
    }

    private static List<String> values(DirContext ctx, String name, String type) throws NamingException {
        Attributes attrs = ctx.getAttributes(name.endsWith(".") ? name : name + ".", new String[] {type});
        Attribute attr = attrs.get(type);
        List<String> out = new ArrayList<>();
        if (attr == null) {
            return out;
        }
        NamingEnumeration<?> e = attr.getAll();
        while (e.hasMore() && out.size() < MAX_RECORDS) {
            out.add(String.valueOf(e.next()));
        }
        return out;
    }

    static String stripPort(String addr) {
        int colon = addr.lastIndexOf(':');
        return (colon > 0 ? addr.substring(0, colon) : addr).toLowerCase(Locale.ROOT);
    }

    private record Srv(int priority, int weight, int port, String target) {
        /** "priority weight port target"; null when malformed. */
        static Srv parse(String v) {
            String[] f = v.strip().split("\\s+");
            if (f.length != 4) {
                return null;
            }
            try {
                int port = Integer.parseInt(f[2]);
                if (port <= 0 || port > 65535) {
                    return null;
                }
                return new Srv(Integer.parseInt(f[0]), Integer.parseInt(f[1]), port, f[3]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
