package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jvmpool.proto.TaskSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutFolderTest {
    @TempDir
    Path dir;

    private static TaskSetup probing(String name, String secret) {
        return TaskSetup.newBuilder().setOutProbe(name).setOutSecret(ByteString.copyFromUtf8(secret)).build();
    }

    @Test
    void theFolderCountsOnlyWithTheJobsProbeAndSecretInIt() throws Exception {
        Files.writeString(dir.resolve(".jvmpool-probe.0123456789abcdef.tmp"), "the-secret");
        assertThat(OutFolder.isTheJobs(dir, probing(".jvmpool-probe.0123456789abcdef.tmp", "the-secret"))).isTrue();
        assertThat(OutFolder.isTheJobs(dir, probing(".jvmpool-probe.0123456789abcdef.tmp", "another-secret")))
                .as("another job's folder").isFalse();
        assertThat(OutFolder.isTheJobs(dir, probing(".jvmpool-probe.fedcba9876543210.tmp", "the-secret")))
                .as("no probe of that name").isFalse();
        assertThat(OutFolder.isTheJobs(null, probing(".jvmpool-probe.0123456789abcdef.tmp", "the-secret")))
                .as("no folder given").isFalse();
        assertThat(OutFolder.isTheJobs(dir, TaskSetup.getDefaultInstance())).as("a coordinator that offers none").isFalse();
        assertThat(OutFolder.isTheJobs(dir, probing("../" + dir.getFileName() + "/.jvmpool-probe.0123456789abcdef.tmp", "the-secret")))
                .as("a name is only a name: no path out of the folder").isTrue();
    }
}
