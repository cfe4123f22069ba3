from celery import shared_task

from sharing.models import ShareLink


@shared_task
def forget_old_share_links() -> int:
    """Links that stopped working 30 days ago go, with the record of their openings."""
    return ShareLink.objects.forget_old()
