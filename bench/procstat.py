"""CPU of a process or thread from Linux's /proc/.../stat, for the bench scripts: utime and stime are
fields 14 and 15, counted after the ")" that ends the command name (which may itself hold spaces and
parentheses), in clock ticks (10 ms here). Threads that ended still count in their process's figure."""

import os

CLK_TCK = os.sysconf("SC_CLK_TCK")


def stat_ticks(text, split=False):
    """utime+stime in clock ticks from the text of a stat file; with split, the pair (utime, stime)."""
    fields = text.rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])
    return (user, system) if split else user + system


def cpu_ticks(pid, split=False):
    """utime+stime of PID in clock ticks, None once it is gone; with split, the pair (utime, stime)."""
    try:
        with open(f"/proc/{pid}/stat", errors="replace") as f:
            return stat_ticks(f.read(), split)
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(pid):
    """utime+stime of PID in seconds, None once it is gone."""
    ticks = cpu_ticks(pid)
    return None if ticks is None else ticks / CLK_TCK
