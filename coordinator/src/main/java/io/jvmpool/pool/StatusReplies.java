package io.jvmpool.pool;

import io.jvmpool.proto.StatusReply;
import io.jvmpool.proto.WorkerStatus;
import java.util.List;

/** A {@link PoolSnapshot} as the wire carries it to {@code jvmpool status}, and back. */
final class StatusReplies {
    private StatusReplies() {
    }

    /** The answer to {@code jvmpool status}: the pool and its job now. */
    static StatusReply of(PoolSnapshot now) {
        StatusReply.Builder reply = StatusReply.newBuilder()
                .setTask(now.task()).setTasksTotal(now.tasksTotal()).setTasksDone(now.tasksDone())
                .setTasksFailed(now.tasksFailed()).setTasksRetried(now.tasksRetried())
                .setElapsedSeconds(now.elapsedSeconds())
                .setWorkersReady(now.workersReady()).setWorkersWanted(now.workersWanted());
        for (WorkerView w : now.workers()) {
            reply.addWorkers(WorkerStatus.newBuilder()
                    .setIndex(w.index()).setPid(w.pid()).setHost(w.host()).setLocal(w.local()).setState(w.state().label())
                    .setTasksDone(w.tasksDone()).setCurrentTask(w.currentTask())
                    .setCpuPercent(w.cpuPercent()).setRssBytes(w.rssBytes()).setCpuSeconds(w.cpuSeconds())
                    .setBusySeconds(w.busySeconds()).setRestarts(w.restarts()).setRecycled(w.recycled()));
        }
        return reply.build();
    }

    /** The snapshot a reply carries. */
    static PoolSnapshot snapshot(StatusReply reply) {
        List<WorkerView> workers = reply.getWorkersList().stream().map(w -> new WorkerView(w.getIndex(), w.getPid(), w.getHost(),
                w.getLocal(), WorkerState.of(w.getState()), w.getTasksDone(), w.getCurrentTask(), w.getCpuPercent(), w.getRssBytes(),
                w.getCpuSeconds(), w.getBusySeconds(), w.getRestarts(), w.getRecycled())).toList();
        return new PoolSnapshot(reply.getTask(), reply.getTasksTotal(), reply.getTasksDone(), reply.getTasksFailed(),
                reply.getTasksRetried(), reply.getElapsedSeconds(), workers, reply.getWorkersReady(), reply.getWorkersWanted());
    }
}
