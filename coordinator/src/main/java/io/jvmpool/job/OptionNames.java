package io.jvmpool.job;

/**
 * How the library's messages name the job's options, so that an error tells the caller what to
 * change in the words the caller used: Java methods for a program, flags for the command line.
 *
 * @param resume    the option that keeps the batches already written
 * @param overwrite the option that replaces them
 * @param out       the option that names the output folder
 */
public record OptionNames(String resume, String overwrite, String out) {

    /** Names for programs that build a {@link JobSpec}. */
    public static final OptionNames JAVA = new OptionNames("JobSpec.resuming()", "JobSpec.overwriting()", "JobSpec.out");
}
