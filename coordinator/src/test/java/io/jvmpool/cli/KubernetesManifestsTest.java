package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jvmpool.testing.Cli;
import io.jvmpool.shared.Version;
import io.jvmpool.worker.WorkerMain;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker/k8s/ as {@code kubectl apply -f docker/k8s/} sends it: parsed with fabric8's model (no field
 * the model does not know), created on fabric8's mock API server, its cross-references checked, and
 * every container's arguments parsed by the real command line parsers.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesManifestsTest {
    private static final Path K8S = Path.of(System.getProperty("jvmpool.root", "..")).resolve("docker/k8s");
    private static final String IMAGE = "jvmpool:" + Version.get();

    KubernetesClient client;

    private List<HasMetadata> applied;
    private List<HasMetadata> examples;

    @BeforeEach
    void load() throws IOException {
        applied = load(K8S);
        examples = load(K8S.resolve("examples"));
    }

    @Test
    void everyFieldIsOneTheModelKnowsAndTheApiServerTakesThem() {
        List<HasMetadata> all = new ArrayList<>(applied);
        all.addAll(examples);
        for (HasMetadata resource : all) {
            assertThat(unknownFields(resource, resource.getKind() + " " + resource.getMetadata().getName(), new IdentityHashMap<>()))
                    .as("fields the Kubernetes model does not know").isEmpty();
            HasMetadata created = client.resource(resource).inNamespace("jvmpool").create();
            assertThat(created.getMetadata().getUid()).isNotNull();
        }
        assertThat(client.batch().v1().jobs().inNamespace("jvmpool").list().getItems()).extracting(j -> j.getMetadata().getName())
                .containsExactlyInAnyOrder("jvmpool-coordinator", "jvmpool-workers");
    }

    @Test
    void applyingTheFolderLeavesTheUsersOwnTokenAlone() {
        assertThat(applied).noneMatch(r -> r instanceof Secret);
        Secret example = one(examples, Secret.class, "jvmpool-token");
        Cli.Result r = Cli.run("--token", example.getStringData().get("token"), "--out", "unused");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("placeholder");
    }

    @Test
    void theCoordinatorIsAJobThatFailsForGoodOnExitOneOrTwo() {
        Job job = one(applied, Job.class, "jvmpool-coordinator");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();
        List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.getAction()).isEqualTo("FailJob");
            assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("coordinator");
            assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
            assertThat(rule.getOnExitCodes().getValues()).contains(1, 2);
        });
        Container c = container(job.getSpec().getTemplate().getSpec(), "coordinator");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(c.getReadinessProbe().getTcpSocket()).as("a probe that works with TLS too").isNotNull();
        Main parsed = new Main();
        Main.parser(parsed).parseArgs(c.getArgs().toArray(String[]::new));
        assertThat(parsed.workers).isZero();
        assertThat(parsed.out).isEqualTo(Path.of("/out"));
    }

    @Test
    void theWorkersAreAJobWhoseParallelismIsTheKnob() {
        Job workers = one(applied, Job.class, "jvmpool-workers");
        assertThat(workers.getSpec().getParallelism()).isPositive();
        assertThat(workers.getSpec().getCompletions()).as("done when the workers exit 0 with the coordinator's job").isNull();
        Container c = container(workers.getSpec().getTemplate().getSpec(), "worker");
        new CommandLine(new WorkerMain()).parseArgs(c.getArgs().toArray(String[]::new));
        assertThat(env(c, "JVMPOOL_WORKER_JAVA_OPTS")).as("heap from the container's memory").contains("MaxRAMPercentage");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
    }

    @Test
    void namesAndPortsReferToEachOther() {
        Job coordinator = one(applied, Job.class, "jvmpool-coordinator");
        Job workers = one(applied, Job.class, "jvmpool-workers");
        Service service = one(applied, Service.class, "jvmpool-coordinator");
        PersistentVolumeClaim claim = one(applied, PersistentVolumeClaim.class, "jvmpool-out");
        Secret secret = one(examples, Secret.class, "jvmpool-token");

        assertThat(coordinator.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        Container c = container(coordinator.getSpec().getTemplate().getSpec(), "coordinator");
        String portName = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        int containerPort = c.getPorts().stream().filter(p -> p.getName().equals(portName)).findFirst().orElseThrow().getContainerPort();
        assertThat(argAfter(c.getArgs(), "--listen")).endsWith(":" + containerPort);
        Container w = container(workers.getSpec().getTemplate().getSpec(), "worker");
        assertThat(argAfter(w.getArgs(), "--coordinator"))
                .isEqualTo(service.getMetadata().getName() + ":" + service.getSpec().getPorts().get(0).getPort());

        for (Container any : List.of(c, w)) {
            EnvVar token = any.getEnv().stream().filter(e -> e.getName().equals("JVMPOOL_TOKEN")).findFirst().orElseThrow();
            assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(secret.getStringData()).containsKey(token.getValueFrom().getSecretKeyRef().getKey());
        }
        Pod results = one(examples, Pod.class, "jvmpool-results");
        for (PodSpec spec : List.of(coordinator.getSpec().getTemplate().getSpec(), results.getSpec())) {
            assertThat(spec.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                    .isEqualTo(claim.getMetadata().getName()));
        }
    }

    @Test
    void theWebPortIsOnTheServiceAndAnnotatedForPrometheus() {
        Job coordinator = one(applied, Job.class, "jvmpool-coordinator");
        Service service = one(applied, Service.class, "jvmpool-coordinator");
        Container c = container(coordinator.getSpec().getTemplate().getSpec(), "coordinator");
        int containerPort = c.getPorts().stream().filter(p -> p.getName().equals("http")).findFirst().orElseThrow().getContainerPort();
        assertThat(argAfter(c.getArgs(), "--http")).endsWith(":" + containerPort);
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(containerPort);
        });
        for (var annotations : List.of(coordinator.getSpec().getTemplate().getMetadata().getAnnotations(),
                service.getMetadata().getAnnotations())) {
            assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", Integer.toString(containerPort)).containsEntry("prometheus.io/path", "/metrics");
        }
    }

    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandard() {
        for (PodSpec spec : podSpecs()) {
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(spec.getAutomountServiceAccountToken()).isFalse();
            for (Container c : spec.getContainers()) {
                assertThat(c.getImage()).as("a pinned tag").isEqualTo(IMAGE);
                assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getResources().getLimits()).containsKey("memory");
            }
        }
    }

    private List<PodSpec> podSpecs() {
        List<PodSpec> specs = new ArrayList<>();
        Stream.concat(applied.stream(), examples.stream()).forEach(r -> {
            if (r instanceof Job j) {
                specs.add(j.getSpec().getTemplate().getSpec());
            } else if (r instanceof Pod p) {
                specs.add(p.getSpec());
            }
        });
        assertThat(specs).hasSize(3);
        return specs;
    }

    /** What {@code kubectl apply -f FOLDER} applies: the YAML files directly in it. */
    private List<HasMetadata> load(Path folder) throws IOException {
        List<HasMetadata> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    all.addAll(client.load(in).items());
                }
            }
        }
        return all;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> kind, String name) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).filter(r -> r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    private static Container container(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    private static String argAfter(List<String> args, String flag) {
        return args.get(args.indexOf(flag) + 1);
    }

    /**
     * Fields the model did not know land in its objects' additionalProperties (fabric8 keeps them
     * instead of failing): any there is a typo or a field of another API version.
     */
    private static List<String> unknownFields(Object o, String path, Map<Object, Boolean> seen) {
        List<String> found = new ArrayList<>();
        if (o == null || seen.put(o, true) != null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            if (o instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    found.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
                }
            } else if (o instanceof Map<?, ?> map) {
                map.forEach((k, v) -> found.addAll(unknownFields(v, path + "." + k, seen)));
            }
            return found;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                } else {
                    found.addAll(unknownFields(value, path + "." + m.getName().substring(3), seen));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a computed getter that does not apply: not a field
            }
        }
        return found;
    }
}
