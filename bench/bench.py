#!/usr/bin/env python3
"""jvmpool's benchmark: every scenario side by side with its references, in one run.

Runs each scenario several times and reports the median and the spread (min-max), as ratios to
the references measured in the same run (these machines are shared and noisy). Writes
bench/results/latest.json (raw numbers) and bench/results/latest.md (the table the README quotes).

  bench/run [--reps N] [--smoke] [--only NAME[,NAME]]

References: Python's multiprocessing.Pool via ../shared/anchors/python_pool.py, and the same Java
tasks in one JVM (a plain loop and a thread pool with one thread per core, bench/JavaReferences).
"""
import argparse, datetime, glob, json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "coordinator", "target", "jvmpool.jar")
BENCH_CLASSES = os.path.join(ROOT, "bench", "target", "classes")
ANCHOR = os.path.join(ROOT, "..", "shared", "anchors", "python_pool.py")
CORES = os.cpu_count()


def java():
    return os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"


def java25():
    """A Java 25+ JDK, if this machine has one: workers then start from an AOT cache."""
    found = sorted(glob.glob("/usr/lib/jvm/temurin-2[5-9]*/bin/java"))
    return os.environ.get("JVMPOOL_BENCH_JAVA25") or (found[0] if found else None)


LAST_CPU = {"s": 0.0}


def children_cpu():
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, cwd=None):
    """Runs a command; returns (wall seconds, stdout). LAST_CPU["s"]: the CPU seconds of it and every
    process under it (each one waited for by its parent, as the coordinator does its workers)."""
    cpu = children_cpu()
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    LAST_CPU["s"] = children_cpu() - cpu
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr[-3000:]))
    return wall, p.stdout


def json_line(out):
    return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])


def jvmpool(args, java_cmd=None, watch_memory=False, jvm_flags=()):
    """Runs the coordinator jar; returns process wall, its run.json, and peak RSS (MB) when watched."""
    out = tempfile.mkdtemp(prefix="jvmpool-bench-")
    try:
        cmd = [java_cmd or java()] + list(jvm_flags) + ["-jar", JAR, "--quiet", "--out", out] + args
        if not watch_memory:
            wall, _ = timed(cmd)
            peaks = None
        else:
            wall, peaks = watched(cmd)
        with open(os.path.join(out, "run.json")) as f:
            report = json.load(f)
        return wall, report, peaks
    finally:
        shutil.rmtree(out, ignore_errors=True)


def proc_status_mb(pid, field):
    """A field of /proc/PID/status in MB (VmHWM, VmRSS, RssAnon); 0 once the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return next((int(l.split()[1]) / 1024.0 for l in f if l.startswith(field + ":")), 0.0)
    except OSError:
        return 0.0


def child_pids(pid):
    """The processes whose parent is pid (any of its threads may have started them)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
                if int(stat[stat.rindex(")") + 2:].split()[1]) == pid:
                    found.append(int(entry))
            except (OSError, ValueError):
                pass
    return found


def watched(cmd):
    """Runs the jar and samples, until it ends, the peak RSS (VmHWM) and the largest anonymous memory
    (RssAnon: the heap and native memory, not the page cache of mapped files) of the coordinator and of
    each worker. With java -jar the coordinator is the launcher's child (-Djvmpool.relaunched=true)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks = {"coordinator": 0, "coordinator_anon": 0, "launcher": 0, "workers": {}, "workers_anon": {}}

    def relaunched(pid):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return b"-Djvmpool.relaunched=true" in f.read()
        except OSError:
            return False

    coordinator = None
    while p.poll() is None:
        if coordinator is None:
            inner = [c for c in child_pids(p.pid) if relaunched(c)]
            coordinator = inner[0] if inner else None
        if coordinator is not None:
            peaks["launcher"] = max(peaks["launcher"], proc_status_mb(p.pid, "VmHWM"))
        c = coordinator or p.pid
        peaks["coordinator"] = max(peaks["coordinator"], proc_status_mb(c, "VmHWM"))
        peaks["coordinator_anon"] = max(peaks["coordinator_anon"], proc_status_mb(c, "RssAnon"))
        for w in child_pids(c):
            peaks["workers"][w] = max(peaks["workers"].get(w, 0), proc_status_mb(w, "VmHWM"))
            peaks["workers_anon"][w] = max(peaks["workers_anon"].get(w, 0), proc_status_mb(w, "RssAnon"))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd), p.stderr.read()[-3000:]))
    return wall, {"coordinator_mb": peaks["coordinator"], "coordinator_anon_mb": peaks["coordinator_anon"],
                  "launcher_mb": peaks["launcher"], "worker_mb": max(peaks["workers"].values() or [0]),
                  "worker_anon_mb": max(peaks["workers_anon"].values() or [0])}


def python_anchor(*args):
    wall, out = timed([sys.executable, ANCHOR] + list(args))
    r = json_line(out)
    r["process_wall_s"] = wall
    return r


def java_reference(*args):
    cp = os.pathsep.join([JAR, BENCH_CLASSES])
    wall, out = timed([java(), "-cp", cp, "io.jvmpool.bench.JavaReferences"] + list(args))
    r = json_line(out)
    r["process_wall_s"] = wall
    return r


def since(report, milestone):
    return report["seconds_since_jvm_start"][milestone]


def from_first_task(report):
    return since(report, "done") - since(report, "first_task_sent")


def stat(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def repeat(reps, fn):
    """Runs fn reps times; returns the list of results (dicts of numbers)."""
    return [fn() for _ in range(reps)]


def collect(runs):
    keys = runs[0].keys()
    return {k: stat([r[k] for r in runs]) for k in keys}


# ---------------------------------------------------------------- scenarios

# Every size a scenario uses, full and smoke: the scenarios and the table's labels both read them.
SIZES = {
    "full": {"seed_loop": 10_000_000, "burn_ms": 100, "burn_tasks": 40, "tiny_tasks": 1_000_000, "tiny_chunk1_tasks": 100_000,
             "memory_tasks": 10_000_000, "big_rows": 512, "array_tasks": 200, "array_many_tasks": 1000, "warm_repeats": 5},
    "smoke": {"seed_loop": 10_000, "burn_ms": 20, "burn_tasks": 8, "tiny_tasks": 20_000, "tiny_chunk1_tasks": 2_000,
              "memory_tasks": 100_000, "big_rows": 8, "array_tasks": 20, "array_many_tasks": 40, "warm_repeats": 2},
}


def count(n):
    """10000000 -> '10M', 20000 -> '20k': the sizes in the table's labels."""
    for unit, name in ((1_000_000, "M"), (1000, "k")):
        if n >= unit and n % unit == 0:
            return "%d%s" % (n // unit, name)
    return str(n)


def seed(size):
    loop = str(SIZES[size]["seed_loop"])

    def one():
        wall, report, _ = jvmpool(["-P", "loop=" + loop])
        cpu = LAST_CPU["s"]
        py = python_anchor("seed", "--mode", "pool", "--loop", loop)
        py_cpu = LAST_CPU["s"]
        py_seq = python_anchor("seed", "--mode", "seq", "--loop", loop)
        jl = java_reference("seed", "loop", loop)
        jt = java_reference("seed", "threads", loop)
        return {"jvmpool_s": wall, "jvmpool_cpu_s": cpu, "python_pool_cpu_s": py_cpu, "python_pool_s": py["process_wall_s"], "python_seq_s": py_seq["process_wall_s"],
                "java_loop_s": jl["process_wall_s"], "java_threads_s": jt["process_wall_s"],
                "speedup_vs_python_pool": py["process_wall_s"] / wall}
    return one


def two_tasks(size):
    """The smallest job, as a user runs it again and again while writing a task: 2 trivial tasks, 2 workers."""
    def one():
        wall, report, _ = jvmpool(["--task", "trivial", "--batches", "1", "--batch-size", "2", "--workers", str(CORES)])
        py = python_anchor("trivial", "--tasks", "2", "--chunksize", "1")
        return {"jvmpool_s": wall, "python_pool_s": py["process_wall_s"], "first_task_s": since(report, "first_task_sent"),
                "ratio_vs_python_pool": py["process_wall_s"] / wall}
    return one


def proc_cpu_s(pid):
    """utime + stime of one process, from /proc/PID/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm(size):
    """Repeat jobs on a warm pool (--keep-warm), whole process as the user starts it (the thin client):
    2 trivial tasks and the seed job, beside Python's Pool and a Java thread pool; then the pool's cost
    while idle. Each rep starts its own pool (in a runtime folder of its own) and stops it."""
    loop = str(SIZES[size]["seed_loop"])
    repeats = SIZES[size]["warm_repeats"]

    def one():
        runtime = tempfile.mkdtemp(prefix="jvmpool-bench-warm-")
        flags = ["-Djava.io.tmpdir=" + runtime]
        two = ["--task", "trivial", "--batches", "1", "--batch-size", "2", "--workers", str(CORES)]
        try:
            first, _, _ = jvmpool(two + ["--keep-warm", "5m"], jvm_flags=flags)
            two_walls, two_cpus, seed_walls, py_walls, py_cpus, jt_walls = [], [], [], [], [], []
            for _ in range(repeats):
                wall, report, _ = jvmpool(two, jvm_flags=flags)
                if not report.get("warm_pool"):
                    raise RuntimeError("the repeat job did not run on the warm pool")
                two_walls.append(wall)
                two_cpus.append(LAST_CPU["s"])
                py = python_anchor("trivial", "--tasks", "2", "--chunksize", "1")
                py_walls.append(py["process_wall_s"])
                py_cpus.append(LAST_CPU["s"])
                wall, report, _ = jvmpool(["-P", "loop=" + loop], jvm_flags=flags)
                seed_walls.append(wall)
                jt_walls.append(java_reference("seed", "threads", loop)["process_wall_s"])
            _, said = timed([java()] + flags + ["-jar", JAR, "status"])
            pool = int(re.search(r"warm pool pid (\d+)", said).group(1))
            time.sleep(2)  # idle from here on
            processes = [pool] + child_pids(pool)
            cpu_before = [proc_cpu_s(q) for q in processes]
            time.sleep(5)
            idle_cpu = [(proc_cpu_s(q) - c) / 5 for q, c in zip(processes, cpu_before)]
            rss = [proc_status_mb(q, "VmRSS") for q in processes]
            m = statistics.median
            return {"first_run_s": first, "two_warm_s": m(two_walls), "two_warm_client_cpu_s": m(two_cpus),
                    "python_pool_two_s": m(py_walls), "python_pool_two_cpu_s": m(py_cpus),
                    "ratio_two_vs_python_pool": m(py_walls) / m(two_walls),
                    "seed_warm_s": m(seed_walls), "java_threads_seed_s": m(jt_walls),
                    "ratio_seed_vs_java_threads": m(seed_walls) / m(jt_walls),
                    "idle_coordinator_rss_mb": rss[0], "idle_worker_rss_mb": max(rss[1:] or [0]),
                    "idle_coordinator_cpu_share": idle_cpu[0], "idle_worker_cpu_share": max(idle_cpu[1:] or [0])}
        finally:
            subprocess.run([java()] + flags + ["-jar", JAR, "stop"], capture_output=True)
            shutil.rmtree(runtime, ignore_errors=True)
    return one


def scaling(size):
    ms, tasks = str(SIZES[size]["burn_ms"]), str(SIZES[size]["burn_tasks"])

    def one():
        r = {}
        loop = java_reference("burn", "loop", ms, tasks)["wall_s"]
        threads = java_reference("burn", "threads", ms, tasks)["wall_s"]
        r["java_loop_s"] = loop
        r["thread_pool_efficiency"] = loop / (CORES * threads)
        for n in (1, CORES):
            wall, report, _ = jvmpool(["--task", "burn", "--args", ms, "--batches", "1", "--batch-size", tasks,
                                       "--workers", str(n)])
            r["jvmpool_%dw_from_first_task_s" % n] = from_first_task(report)
            r["jvmpool_%dw_from_start_s" % n] = wall
            r["jvmpool_%dw_efficiency_from_first_task" % n] = loop / (n * from_first_task(report))
            r["jvmpool_%dw_efficiency_from_start" % n] = loop / (n * wall)
        py_seq = python_anchor("burn", "--ms", ms, "--tasks", tasks, "--mode", "seq")["wall_s"]
        py_pool = python_anchor("burn", "--ms", ms, "--tasks", tasks, "--mode", "pool", "--workers", str(CORES))
        r["python_efficiency"] = py_seq / (CORES * py_pool["wall_s"])
        r["python_efficiency_from_start"] = py_seq / (CORES * py_pool["process_wall_s"])
        return r
    return one


def tiny(size):
    tasks, forced = str(SIZES[size]["tiny_tasks"]), str(SIZES[size]["tiny_chunk1_tasks"])
    py1 = forced

    def one():
        r = {}
        wall, report, _ = jvmpool(["--task", "trivial", "--batches", "1", "--batch-size", tasks])
        r["jvmpool_tasks_per_s_from_start"] = int(tasks) / wall
        r["jvmpool_tasks_per_s_from_first_task"] = int(tasks) / from_first_task(report)
        wall1, report1, _ = jvmpool(["--task", "trivial", "--batches", "1", "--batch-size", forced, "--chunksize", "1"])
        r["jvmpool_chunk1_tasks_per_s_from_start"] = int(forced) / wall1
        r["jvmpool_chunk1_tasks_per_s_from_first_task"] = int(forced) / from_first_task(report1)
        r["python_chunk100_tasks_per_s"] = python_anchor("trivial", "--tasks", tasks, "--chunksize", "100")["tasks_per_s"]
        r["python_chunk1_tasks_per_s"] = python_anchor("trivial", "--tasks", py1, "--chunksize", "1")["tasks_per_s"]
        r["java_threads_tasks_per_s"] = java_reference("trivial", "threads", tasks)["tasks_per_s"]
        r["ratio_default_vs_python_chunk100"] = r["jvmpool_tasks_per_s_from_first_task"] / r["python_chunk100_tasks_per_s"]
        r["ratio_chunk1_vs_python_chunk1"] = r["jvmpool_chunk1_tasks_per_s_from_first_task"] / r["python_chunk1_tasks_per_s"]
        return r
    return one


def startup(size):
    def one():
        r = {}
        variants = [("java17_cds", None, []), ("java17_no_cds", None, ["--no-cds"])]
        if java25():
            variants.append(("java25_aot", java25(), []))
        for name, java_cmd, flags in variants:
            jvmpool(["-P", "loop=1000"] + flags, java_cmd)  # the first run makes the archive; measure the next
            wall, report, _ = jvmpool(["-P", "loop=1000"] + flags, java_cmd)
            r[name + "_workers_ready_s"] = since(report, "all_workers_ready") or since(report, "first_task_sent")
            r[name + "_first_result_s"] = since(report, "first_result")
        return r
    return one


def memory(size):
    tasks = str(SIZES[size]["memory_tasks"])
    batch = str(SIZES[size]["memory_tasks"] // 10)
    # 2 batches of 512 rows of 4 MiB (2 GiB each) from a coordinator with a 256 MiB heap
    rows = str(SIZES[size]["big_rows"])

    def one():
        wall, report, peaks = jvmpool(["--task", "trivial", "--batches", "10", "--batch-size", batch], watch_memory=True)
        r = {"coordinator_peak_rss_mb": peaks["coordinator_mb"], "coordinator_peak_anon_mb": peaks["coordinator_anon_mb"],
             "launcher_peak_rss_mb": peaks["launcher_mb"], "worker_peak_rss_mb": peaks["worker_mb"],
             "tasks_per_s": int(tasks) / wall}
        _, _, peaks = jvmpool(["--task", "trivial", "--batches", "20", "--batch-size", batch], watch_memory=True)
        r["twice_coordinator_peak_anon_mb"] = peaks["coordinator_anon_mb"]
        r["twice_worker_peak_rss_mb"] = peaks["worker_mb"]
        _, report, peaks = jvmpool(["--task", "array", "--args", "4", "--outputs", "a", "--batches", "2", "--batch-size", rows],
                                   watch_memory=True, jvm_flags=["-Xmx256m"])
        r["big_batches_coordinator_peak_anon_mb"] = peaks["coordinator_anon_mb"]
        r["big_batches_worker_peak_rss_mb"] = peaks["worker_mb"]
        # the pages of the batch file a worker writes through its mapping are the file's (RssFile), not the worker's
        r["big_batches_worker_peak_anon_mb"] = peaks["worker_anon_mb"]
        r["big_batches_mb_per_s_from_first_task"] = 2 * int(rows) * 4 * 1024 * 1024 / 1e6 / from_first_task(report)
        return r
    return one


def http_view(size):
    """The cost of --http: the same job without it, and with it while /metrics and /api/job are read
    every 100 ms (as a busy Prometheus and an open page would), in turn."""
    import urllib.request
    ms, tasks = str(SIZES[size]["burn_ms"]), SIZES[size]["burn_tasks"]
    job = ["--task", "burn", "--args", ms, "--batches", "2", "--batch-size", str(tasks // 2), "--workers", str(CORES)]

    def one():
        plain, _, _ = jvmpool(job)
        port = free_port()
        scrapes = {"n": 0}
        done = threading.Event()

        def scrape():
            while not done.is_set():
                for path in ("/metrics", "/api/job"):
                    try:
                        urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=2).read()
                        scrapes["n"] += 1
                    except OSError:
                        pass
                time.sleep(0.1)
        reader = threading.Thread(target=scrape, daemon=True)
        reader.start()
        try:
            watched_wall, _, _ = jvmpool(job + ["--http", "127.0.0.1:%d" % port])
        finally:
            done.set()
            reader.join()
        return {"plain_s": plain, "http_s": watched_wall, "ratio_http_vs_plain": watched_wall / plain, "answered_requests": scrapes["n"]}
    return one


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def container_worker_flags():
    """The JVM flags of the Docker image's worker entry point (docker/Dockerfile), so that the workers
    that dial in here run as they do in a container."""
    with open(os.path.join(ROOT, "docker", "Dockerfile")) as f:
        found = re.search(r"exec java (.*?) \$JVMPOOL_WORKER_JAVA_OPTS", f.read())
    if not found:
        sys.exit("bench: can't find the worker's JVM flags in docker/Dockerfile (its jvmpool-worker line)")
    return found.group(1).split()


def dialing_workers(port, n, out=None):
    """Workers that dial in as a container's or another machine's do: their results travel over gRPC,
    or, given the output folder (as a container here with it mounted), go into the files in place."""
    cmd = [java()] + container_worker_flags() + ["-cp", JAR, "io.jvmpool.worker.WorkerMain", "--coordinator", "127.0.0.1:%d" % port,
                                                 "--connect-timeout", "120"] + (["--out", out] if out else [])
    return [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(n)]


def await_exit(workers):
    """Dialing workers end by themselves once the job ends its streams; one that lingers is killed."""
    for w in workers:
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()


def disk_write(mib):
    """The ceiling of any tool that writes results into files here: one plain process writing mib MiB
    into a new file (1 MiB pwrite each, then fsync and rename), timed as jvmpool's bandwidth is. On a
    virtual machine, memory the guest has not touched yet (page cache of a new file included) can cost
    more to fill than the disk takes to write."""
    folder = tempfile.mkdtemp(prefix="jvmpool-bench-disk-")
    try:
        row = bytes(range(256)) * 4096
        path = os.path.join(folder, "a_para_0.npy.tmp")
        start = time.perf_counter()
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
        try:
            for i in range(mib):
                os.pwrite(fd, row, i * len(row))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(path, path[:-len(".tmp")])
        return mib * len(row) / 1e6 / (time.perf_counter() - start)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bandwidth(size):
    tasks, many = str(SIZES[size]["array_tasks"]), str(SIZES[size]["array_many_tasks"])

    def one():
        array = ["--task", "array", "--args", "1", "--outputs", "a", "--batches", "1"]
        mb = lambda n: int(n) * 1024 * 1024 / 1e6
        wall, report, _ = jvmpool(array + ["--batch-size", tasks])
        py = python_anchor("array", "--mib", "1", "--tasks", tasks)
        r = {"jvmpool_mb_per_s_from_first_task": mb(tasks) / from_first_task(report), "jvmpool_mb_per_s_from_start": mb(tasks) / wall,
             "python_mb_per_s": py["mb_per_s"], "python_process_s": py["process_wall_s"], "jvmpool_process_s": wall}
        r["ratio_vs_python"] = r["jvmpool_mb_per_s_from_first_task"] / r["python_mb_per_s"]
        r["disk_write_mb_per_s"] = disk_write(int(tasks))
        r["ratio_vs_disk_write"] = r["jvmpool_mb_per_s_from_first_task"] / r["disk_write_mb_per_s"]
        _, report, _ = jvmpool(array + ["--batch-size", many])
        r["jvmpool_many_mb_per_s_from_first_task"] = mb(many) / from_first_task(report)
        r["python_many_mb_per_s"] = python_anchor("array", "--mib", "1", "--tasks", many)["mb_per_s"]
        port = free_port()
        workers = dialing_workers(port, CORES)
        try:
            _, report, _ = jvmpool(array + ["--batch-size", tasks, "--workers", "0", "--min-workers", str(CORES),
                                            "--listen", "127.0.0.1:%d" % port])
        finally:
            await_exit(workers)
        r["grpc_mb_per_s_from_first_task"] = mb(tasks) / from_first_task(report)
        # workers that dial in from this machine with the output folder mounted, as containers here do
        out = tempfile.mkdtemp(prefix="jvmpool-bench-")
        port = free_port()
        workers = dialing_workers(port, CORES, out)
        try:
            wall_out = [java()] + ["-jar", JAR, "--quiet", "--out", out] + array + ["--batch-size", tasks, "--workers", "0",
                                                                              "--min-workers", str(CORES), "--listen", "127.0.0.1:%d" % port]
            timed(wall_out)
            with open(os.path.join(out, "run.json")) as f:
                report = json.load(f)
        finally:
            await_exit(workers)
            shutil.rmtree(out, ignore_errors=True)
        r["mounted_mb_per_s_from_first_task"] = mb(tasks) / from_first_task(report)
        r["mounted_in_place_share"] = report["totals"]["tasks_written_in_place"] / float(tasks)
        r["ratio_mounted_vs_local"] = r["mounted_mb_per_s_from_first_task"] / r["jvmpool_mb_per_s_from_first_task"]
        # the whole process, as a user runs it: 2 batches of twice the tasks, against Python's Pool in memory
        whole, _, _ = jvmpool(["--task", "array", "--args", "1", "--outputs", "a", "--batches", "2", "--batch-size", tasks])
        r["whole_s"] = whole
        r["python_whole_s"] = python_anchor("array", "--mib", "1", "--tasks", str(2 * int(tasks)))["process_wall_s"]
        r["ratio_whole_vs_python"] = r["python_whole_s"] / whole
        return r
    return one


SCENARIOS = {"seed": seed, "two": two_tasks, "warm": warm, "scaling": scaling, "tiny": tiny, "startup": startup, "memory": memory, "bandwidth": bandwidth, "http": http_view}


# ---------------------------------------------------------------- report

def fmt(s, unit="", digits=2):
    if s is None:
        return "-"
    m = s["median"]
    text = ("%." + str(digits) + "f") % m if abs(m) < 10000 else "{:,.0f}".format(m)
    spread = "" if s["n"] < 2 else (" (%s-%s)" % (("%." + str(digits) + "f") % s["min"], ("%." + str(digits) + "f") % s["max"])
                                     if abs(m) < 10000 else " ({:,.0f}-{:,.0f})".format(s["min"], s["max"]))
    return text + unit + spread


def table(results, size):
    z = SIZES[size]
    big = z["big_rows"] * 4 // 1024
    rows = ["| scenario | jvmpool | references (same run) | ratio | goal |", "|---|---|---|---|---|"]
    g = lambda name, key: results.get(name, {}).get(key)
    if "seed" in results:
        rows.append("| 1. seed job%s, end to end (wall; CPU of every process) | %s; %s CPU | Python Pool %s (%s CPU), Python loop %s; Java loop %s, Java threads %s | %s x faster than Python Pool | <= 1.0 s |" % (
            "" if z["seed_loop"] == SIZES["full"]["seed_loop"] else " (loop=%s)" % count(z["seed_loop"]), fmt(g("seed", "jvmpool_s"), " s"), fmt(g("seed", "jvmpool_cpu_s"), " s"), fmt(g("seed", "python_pool_s"), " s"),
            fmt(g("seed", "python_pool_cpu_s"), " s"), fmt(g("seed", "python_seq_s"), " s"),
            fmt(g("seed", "java_loop_s"), " s"), fmt(g("seed", "java_threads_s"), " s"), fmt(g("seed", "speedup_vs_python_pool"))))
    if "two" in results:
        rows.append("| 1b. two trivial tasks, %d workers, end to end (wall; first task sent) | %s; %s | Python Pool %s | %s x faster than Python Pool | <= 0.8 s |" % (
            CORES, fmt(g("two", "jvmpool_s"), " s"), fmt(g("two", "first_task_s"), " s"), fmt(g("two", "python_pool_s"), " s"),
            fmt(g("two", "ratio_vs_python_pool"))))
    if "warm" in results:
        rows.append("| 1c. repeat jobs on a warm pool (`--keep-warm`), whole client process: 2 trivial tasks (wall; client CPU); the seed job%s (wall); the first run, which starts the pool | %s (%s CPU); %s; first run %s | Python Pool, 2 tasks: %s (%s CPU); Java threads, seed job: %s | %s x faster than Python Pool; %s x the Java threads' time | >= 1x; <= 1.5x |" % (
            "" if z["seed_loop"] == SIZES["full"]["seed_loop"] else " (loop=%s)" % count(z["seed_loop"]),
            fmt(g("warm", "two_warm_s"), " s"), fmt(g("warm", "two_warm_client_cpu_s"), " s"), fmt(g("warm", "seed_warm_s"), " s"), fmt(g("warm", "first_run_s"), " s"),
            fmt(g("warm", "python_pool_two_s"), " s"), fmt(g("warm", "python_pool_two_cpu_s"), " s"), fmt(g("warm", "java_threads_seed_s"), " s"),
            fmt(g("warm", "ratio_two_vs_python_pool")), fmt(g("warm", "ratio_seed_vs_java_threads"))))
        rows.append("| 1d. a warm pool while idle (resident memory; share of a core) | coordinator %s, %s; each worker <= %s, %s | - | - | stated; no CPU |" % (
            fmt(g("warm", "idle_coordinator_rss_mb"), " MB", 0), fmt(g("warm", "idle_coordinator_cpu_share"), "", 3),
            fmt(g("warm", "idle_worker_rss_mb"), " MB", 0), fmt(g("warm", "idle_worker_cpu_share"), "", 3)))
    if "scaling" in results:
        n = CORES
        rows.append("| 2. scaling, %d burn x %d ms, %d workers: efficiency from first task / from process start | %s / %s | thread pool %s; Python Pool %s / %s (1 worker: %s / %s) | - | >= 0.95 / >= 0.85 |" % (
            z["burn_tasks"], z["burn_ms"], n, fmt(g("scaling", "jvmpool_%dw_efficiency_from_first_task" % n)), fmt(g("scaling", "jvmpool_%dw_efficiency_from_start" % n)),
            fmt(g("scaling", "thread_pool_efficiency")), fmt(g("scaling", "python_efficiency")), fmt(g("scaling", "python_efficiency_from_start")),
            fmt(g("scaling", "jvmpool_1w_efficiency_from_first_task")), fmt(g("scaling", "jvmpool_1w_efficiency_from_start"))))
    if "tiny" in results:
        rows.append("| 3a. %s tiny tasks, default settings (tasks/s from first task; from start) | %s; %s | Python Pool chunksize 100: %s; Java threads %s | %s x | >= 2x |" % (
            count(z["tiny_tasks"]), fmt(g("tiny", "jvmpool_tasks_per_s_from_first_task")), fmt(g("tiny", "jvmpool_tasks_per_s_from_start")),
            fmt(g("tiny", "python_chunk100_tasks_per_s")), fmt(g("tiny", "java_threads_tasks_per_s")), fmt(g("tiny", "ratio_default_vs_python_chunk100"))))
        rows.append("| 3b. %s tiny tasks, one task per message (tasks/s from first task; from start) | %s; %s | Python Pool chunksize 1: %s | %s x | >= 5x |" % (
            count(z["tiny_chunk1_tasks"]), fmt(g("tiny", "jvmpool_chunk1_tasks_per_s_from_first_task")), fmt(g("tiny", "jvmpool_chunk1_tasks_per_s_from_start")),
            fmt(g("tiny", "python_chunk1_tasks_per_s")), fmt(g("tiny", "ratio_chunk1_vs_python_chunk1"))))
    if "startup" in results:
        parts = []
        for name in ("java17_cds", "java17_no_cds", "java25_aot"):
            if g("startup", name + "_first_result_s"):
                parts.append("%s: ready %s, first result %s" % (name, fmt(g("startup", name + "_workers_ready_s"), " s"),
                                                                fmt(g("startup", name + "_first_result_s"), " s")))
        rows.append("| 4. start-up, %d workers (s since process start) | %s | - | - | <= 0.5 s |" % (CORES, "; ".join(parts)))
    if "memory" in results:
        rows.append("| 5. memory, %s trivial tasks in 10 batches (peak RSS; coordinator's peak RssAnon) | coordinator %s (anonymous %s), "
                    "each worker <= %s; the waiting launcher %s | - | - | <= 300 MB / <= 100 MB |" % (
            count(z["memory_tasks"]), fmt(g("memory", "coordinator_peak_rss_mb"), " MB", 0), fmt(g("memory", "coordinator_peak_anon_mb"), " MB", 0),
            fmt(g("memory", "worker_peak_rss_mb"), " MB", 0), fmt(g("memory", "launcher_peak_rss_mb"), " MB", 0)))
        rows.append("| 5b. memory, %s trivial tasks in 20 batches; 2 batches of %s (4 MiB rows) from `java -Xmx256m -jar` (coordinator's peak RssAnon; each worker's peak RSS, and its RssAnon: the pages of a mapped batch file are the file's) | "
                    "%s: %s, workers <= %s; 2 x %s: %s, workers <= %s (anonymous <= %s), at %s MB/s | - | - | <= 300 MB / <= 100 MB |" % (
            count(2 * z["memory_tasks"]), "%d GiB" % big if big else "%d MiB" % (z["big_rows"] * 4),
            count(2 * z["memory_tasks"]), fmt(g("memory", "twice_coordinator_peak_anon_mb"), " MB", 0), fmt(g("memory", "twice_worker_peak_rss_mb"), " MB", 0),
            "%d GiB" % big if big else "%d MiB" % (z["big_rows"] * 4), fmt(g("memory", "big_batches_coordinator_peak_anon_mb"), " MB", 0), fmt(g("memory", "big_batches_worker_peak_rss_mb"), " MB", 0),
            fmt(g("memory", "big_batches_worker_peak_anon_mb"), " MB", 0), fmt(g("memory", "big_batches_mb_per_s_from_first_task"), "", 0)))
    if "bandwidth" in results:
        rows.append("| 6. results of %d x 1 MiB float32 arrays into .npy, %d workers (MB/s from first task; from start) | %s; %s (%d tasks: %s) | Python Pool %s (%d tasks: %s), in memory; one process writing as many MiB into a new file (pwrite, fsync): %s | %s x Python Pool; %s x the file write | >= 1 GB/s, >= 3x |" % (
            z["array_tasks"], CORES,
            fmt(g("bandwidth", "jvmpool_mb_per_s_from_first_task"), "", 0), fmt(g("bandwidth", "jvmpool_mb_per_s_from_start"), "", 0),
            z["array_many_tasks"], fmt(g("bandwidth", "jvmpool_many_mb_per_s_from_first_task"), "", 0),
            fmt(g("bandwidth", "python_mb_per_s"), "", 0), z["array_many_tasks"], fmt(g("bandwidth", "python_many_mb_per_s"), "", 0),
            fmt(g("bandwidth", "disk_write_mb_per_s"), "", 0), fmt(g("bandwidth", "ratio_vs_python")), fmt(g("bandwidth", "ratio_vs_disk_write"))))
        rows.append("| 6b. %d x 1 MiB float32 in 2 batches, whole process (wall) | %s | Python Pool %s, in memory | %s x faster than Python Pool | > 1x |" % (
            2 * z["array_tasks"], fmt(g("bandwidth", "whole_s"), " s"), fmt(g("bandwidth", "python_whole_s"), " s"),
            fmt(g("bandwidth", "ratio_whole_vs_python"))))
        rows.append("| 7. the same results over gRPC, from workers that dial in as containers do (MB/s from first task) | %s | - | - | >= 300 MB/s |" % (
            fmt(g("bandwidth", "grpc_mb_per_s_from_first_task"), "", 0)))
        rows.append("| 7b. workers that dial in from this machine with the output folder mounted (`--out`), as containers here do (MB/s from first task; share written in place) | %s; %s | local workers (row 6) %s | %s x the local workers | 1x |" % (
            fmt(g("bandwidth", "mounted_mb_per_s_from_first_task"), "", 0), fmt(g("bandwidth", "mounted_in_place_share")),
            fmt(g("bandwidth", "jvmpool_mb_per_s_from_first_task"), "", 0), fmt(g("bandwidth", "ratio_mounted_vs_local"))))
    if "http" in results:
        rows.append("| 8. `--http`, the scaling job (%d burn x %d ms) with /metrics and /api/job read every 100 ms, beside the same job without it (wall) | %s (%s requests answered) | without --http: %s | %s x the time without | ~1x |" % (
            z["burn_tasks"], z["burn_ms"], fmt(g("http", "http_s"), " s"), fmt(g("http", "answered_requests"), "", 0), fmt(g("http", "plain_s"), " s"),
            fmt(g("http", "ratio_http_vs_plain"))))
    return "\n".join(rows)


def commit():
    """The commit measured, with '+changes' when the working tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine():
    """The CPU model, cores and memory, as /proc says."""
    model, mem = "unknown CPU", 0
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), model)
        with open("/proc/meminfo") as f:
            mem = int(next(l.split()[1] for l in f if l.startswith("MemTotal"))) // (1024 * 1024)
    except OSError:
        pass
    return "%s, %d cores, %d GiB" % (model, CORES, mem)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=None, help="repetitions of each scenario (default 3; with --smoke 1)")
    p.add_argument("--smoke", action="store_true", help="tiny sizes, to show that every scenario still runs")
    p.add_argument("--only", default="", help="comma-separated scenarios: " + ",".join(SCENARIOS))
    p.add_argument("--out", default=None, help="where latest.json and latest.md go (default bench/results; "
                   "with --smoke bench/results/smoke, so that tiny sizes never replace the committed results)")
    o = p.parse_args()
    if o.out is None:
        o.out = os.path.join(ROOT, "bench", "results", *(["smoke"] if o.smoke else []))
    for needed in (JAR, BENCH_CLASSES):
        if not os.path.exists(needed):
            sys.exit("bench: %s is missing: build first with mvn -B -q -DskipTests package" % needed)
    if o.reps is None:
        o.reps = 1 if o.smoke else 3
    names = [n for n in (o.only.split(",") if o.only else SCENARIOS) if n]
    size = "smoke" if o.smoke else "full"
    # the first run after a build makes the start-up archives (seconds, once): never inside a measurement
    jvmpool(["-P", "loop=1000"])
    results = {}
    for name in names:
        print("bench: %s (%d reps)..." % (name, o.reps), file=sys.stderr, flush=True)
        results[name] = collect(repeat(o.reps, SCENARIOS[name](size)))
    meta = {"date": datetime.date.today().isoformat(), "cores": CORES, "size": size, "reps": o.reps,
            "command": "bench/run" + (" --smoke" if o.smoke else "") + (" --reps %d" % o.reps if o.reps != (1 if o.smoke else 3) else ""),
            "java": subprocess.run([java(), "-version"], capture_output=True, text=True).stderr.splitlines()[0],
            "python": sys.version.split()[0], "commit": commit(), "machine": machine()}
    os.makedirs(o.out, exist_ok=True)
    with open(os.path.join(o.out, "latest.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=2)
    md = "%sMeasured %s on a %d-core machine with `%s` (%s; Python %s; commit %s), median of %s (min-max):\n\n%s\n" % (
        "**Smoke run: tiny sizes, to show that every scenario runs; not a measurement.**\n\n" if o.smoke else "",
        meta["date"], CORES, meta["command"], meta["java"], meta["python"], meta["commit"], "%d runs" % o.reps if o.reps > 1 else "1 run", table(results, size))
    with open(os.path.join(o.out, "latest.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
