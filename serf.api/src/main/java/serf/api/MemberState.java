package serf.api;

/**
 * Serf's mutable record of a member (Go's memberState): the public view plus the Lamport time of
 * the newest intent applied to it and when it failed or left. Guarded by Serf's member lock.
 */
final class MemberState {
    Member member;
    long statusLTime;
    /** {@link System#nanoTime()} when the member failed or left; used by the reaper. */
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
