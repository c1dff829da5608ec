package serf.api;

/**
 * Serf's mutable record of a member (Go's memberState): the public view plus the Lamport time of
 * the newest intent applied to it and when it failed or left. Guarded by the member tracker's lock.
 */
final class MemberState {
    Member member;
    long statusLTime;
    /** The node clock's nanoTime when the member failed or left; used by the reaper. */
    long leaveTimeNanos;

    MemberState(Member member) {
        this.member = member;
    }

    MemberStatus status() {
        return member.status();
    }

    void setStatus(MemberStatus s) {
        member = member.withStatus(s);
    }
}
