package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerMainTest {

    @Test
    void theCommandLineOfALocalWorkerReadsAsPicocliReadsIt() {
        String[] args = {"--coordinator", "127.0.0.1:4321", "--index", "3", "--exit-with-stdin"};
        WorkerMain quick = WorkerMain.startedByCoordinator(args);
        WorkerMain parsed = new WorkerMain();
        new CommandLine(parsed).parseArgs(args);
        assertThat(quick).isNotNull();
        assertThat(quick).usingRecursiveComparison().isEqualTo(parsed);
        assertThat(quick.index).isEqualTo(3);
        assertThat(quick.connectTimeoutSeconds).isEqualTo(300);
    }

    @Test
    void anyOtherCommandLineIsLeftToPicocli() {
        assertThat(WorkerMain.startedByCoordinator(new String[] {"--coordinator", "h:1"})).isNull();
        assertThat(WorkerMain.startedByCoordinator(
                new String[] {"--coordinator", "h:1", "--index", "x", "--exit-with-stdin"})).isNull();
        assertThat(WorkerMain.startedByCoordinator(
                new String[] {"--coordinator", "h:1", "--index", "1", "--exit-with-stdin", "--tls-ca", "ca.pem"})).isNull();
        assertThat(WorkerMain.startedByCoordinator(
                new String[] {"--index", "1", "--coordinator", "h:1", "--exit-with-stdin"})).isNull();
        assertThat(WorkerMain.startedByCoordinator(new String[] {"--help"})).isNull();
    }
}
