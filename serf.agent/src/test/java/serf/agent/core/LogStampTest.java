package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class LogStampTest {
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private static String viaJavaTime(long epochSecond, String zone) {
        return GO_TIME.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneId.of(zone)));
    }

    @Test
    void agreesWithJavaTimeAcrossZonesDaylightSavingAndLeapYears() {
        // Whole, half and quarter hour offsets, both hemispheres' daylight saving time, and a zone
        // whose daylight saving time moves the clock by half an hour.
        String[] zones = {"UTC", "Europe/Berlin", "America/New_York", "America/St_Johns", "Asia/Kathmandu",
            "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago"};
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("1971-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2099-12-31T00:00:00Z").getEpochSecond();
        for (String zone : zones) {
            TimeZone tz = TimeZone.getTimeZone(zone);
            for (int i = 0; i < 20_000; i++) {
                long s = random.nextLong(from, to);
                assertThat(LogStamp.format(s, tz)).as("%d in %s", s, zone).isEqualTo(viaJavaTime(s, zone));
            }
        }
    }

    @Test
    void calendarEdges() {
        TimeZone utc = TimeZone.getTimeZone("UTC");
        assertThat(LogStamp.format(0, utc)).isEqualTo("1970/01/01 00:00:00");
        assertThat(LogStamp.format(-1, utc)).isEqualTo("1969/12/31 23:59:59");
        assertThat(LogStamp.format(Instant.parse("2000-02-29T23:59:59Z").getEpochSecond(), utc)).isEqualTo("2000/02/29 23:59:59");
        assertThat(LogStamp.format(Instant.parse("2100-03-01T00:00:00Z").getEpochSecond(), utc)).isEqualTo("2100/03/01 00:00:00");
        assertThat(LogStamp.format(Instant.parse("2024-12-31T23:59:59Z").getEpochSecond(), utc)).isEqualTo("2024/12/31 23:59:59");
        assertThat(LogStamp.format(Instant.parse("0999-06-15T08:05:09Z").getEpochSecond(), utc)).isEqualTo("0999/06/15 08:05:09");
        // The moment a daylight saving change happens, on both sides of it.
        TimeZone berlin = TimeZone.getTimeZone("Europe/Berlin");
        long change = Instant.parse("2026-03-29T01:00:00Z").getEpochSecond();
        assertThat(LogStamp.format(change - 1, berlin)).isEqualTo("2026/03/29 01:59:59");
        assertThat(LogStamp.format(change, berlin)).isEqualTo("2026/03/29 03:00:00");
    }
}
