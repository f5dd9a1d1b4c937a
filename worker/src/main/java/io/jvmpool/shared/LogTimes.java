package io.jvmpool.shared;

/**
 * How log lines are stamped (slf4j-simple, whose settings are renamed with it inside jvmpool.jar,
 * as its code is). Set in code rather than in {@code simplelogger.properties}, because a date
 * format there is built in every JVM that logs, loading the JDK's locale data (about 0.08 s of each
 * worker's start), and a worker the coordinator started needs none: the coordinator stamps its lines.
 */
public final class LogTimes {
    private static final String SHOW = "org.slf4j.simpleLogger.showDateTime";
    private static final String FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";

    private LogTimes() {
    }

    /** Lines start with the time of day, {@code HH:mm:ss.SSS}, unless the user chose otherwise. */
    public static void timeOfDay() {
        if (System.getProperty(FORMAT) == null) {
            System.setProperty(FORMAT, "HH:mm:ss.SSS");
        }
    }

    /** Lines carry no time (whoever reads them stamps them), unless the user chose otherwise. */
    public static void none() {
        if (System.getProperty(SHOW) == null) {
            System.setProperty(SHOW, "false");
        }
    }
}
