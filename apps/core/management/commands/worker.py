from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run one RQ worker for a queue (default, video or ml) with the class that suits it."

    def add_arguments(self, parser):
        parser.add_argument("queue", choices=list(settings.JOB_QUEUES))
        parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--name", default=None)

    def handle(self, *args, queue, burst, name, **options):
        import django_rq

        from workers.queues import WORKER_CLASSES

        worker_class = WORKER_CLASSES.get(queue)
        if worker_class is None:
            raise CommandError(f"no worker class configured for queue {queue!r}")
        connection = django_rq.get_connection(queue)
        worker = worker_class([django_rq.get_queue(queue)], connection=connection, name=name)
        worker.work(burst=burst, with_scheduler=False)
