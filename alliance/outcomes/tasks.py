"""Background tasks of the outcomes app (run by ``alliance worker``)."""

from __future__ import annotations

from django_tasks import task

from alliance.outcomes import evaluation_store


@task()
def compute_evaluation_task(program_ids: list[int]) -> None:
    """Compute and store the program evaluation of these programs (the evaluation page's)."""
    evaluation_store.compute_and_store(program_ids)


@task()
def produce_research_export_task(export_id: int) -> None:
    """Build a requested research export's zip (alliance/outcomes/export_jobs.py)."""
    from alliance.outcomes.export_jobs import produce_research_export

    produce_research_export(export_id)
