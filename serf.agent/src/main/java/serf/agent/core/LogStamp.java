package serf.agent.core;

import java.util.TimeZone;

/**
 * The time stamp of Go's log package ({@code 2006/01/02 15:04:05}, local time) for a whole second,
 * computed from the zone's offset and the proleptic Gregorian calendar. Not java.time: its zone
 * rules provider parses the whole time-zone database a second time and its formatter builds a
 * parser framework, together about 6 % of an agent's start-up CPU (async-profiler, 2026-12-07),
 * for one line a second.
 */
final class LogStamp {
    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01: the civil calendar below counts years from March. */
    private static final long EPOCH_SHIFT_DAYS = 719_468;
    private static final long DAYS_PER_400_YEARS = 146_097;

    private LogStamp() {
    }

    /** {@code epochSecond} in {@code zone} (its daylight saving time included), as Go's log prints it. */
    static String format(long epochSecond, TimeZone zone) {
        long local = epochSecond + zone.getOffset(Math.multiplyExact(epochSecond, 1000L)) / 1000;
        long days = Math.floorDiv(local, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(local, SECONDS_PER_DAY);

        // Year, month and day of a day count: count in 400-year cycles from 0000-03-01, so that the
        // leap day is the last day of a year and months have fixed offsets.
        long shifted = days + EPOCH_SHIFT_DAYS;
        long cycle = Math.floorDiv(shifted, DAYS_PER_400_YEARS);
        long dayOfCycle = shifted - cycle * DAYS_PER_400_YEARS; // 0..146096
        long yearOfCycle = (dayOfCycle - dayOfCycle / 1460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365;
        long dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100); // 0..365, from March
        long monthFromMarch = (5 * dayOfYear + 2) / 153; // 0..11
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0);

        StringBuilder b = new StringBuilder(19);
        if (year >= 0 && year < 1000) {
            b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        b.append(year).append('/');
        two(b, month).append('/');
        two(b, day).append(' ');
        two(b, secondOfDay / 3600).append(':');
        two(b, secondOfDay / 60 % 60).append(':');
        return two(b, secondOfDay % 60).toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
