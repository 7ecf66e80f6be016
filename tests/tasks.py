"""Running queued tasks in a test, as a worker would (without its heartbeat thread,
whose own database connection cannot see a test's transaction)."""

from cms.operations.worker import Worker


def worker(worker_id="test-worker"):
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        max_idle=0,
    )


def run_queued_tasks(worker_id="test-worker"):
    """Run every ready task (and those they queue) as worker ``worker_id``; returns how
    many ran."""
    runner = worker(worker_id)
    ran = 0
    while (task_result := runner.claim_next()) is not None:
        runner.run_task(task_result)
        ran += 1
    return ran
