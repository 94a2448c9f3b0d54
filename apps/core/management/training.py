"""What every ``train_*`` command shares: the command line its manifest entry records."""

import argparse
import shlex

from django.core.management.base import BaseCommand


def command_line(command: BaseCommand, name: str, options: dict, *, ignore: tuple[str, ...] = ()) -> str:
    """``python manage.py <name>`` with each of the command's own options that ``options`` sets
    away from its default, in the order ``--help`` lists them: the call that repeats this run,
    whether it came from a shell or from ``call_command``. ``ignore`` names options (by dest)
    that only say where caches or reports go and cannot change the artifact."""
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    words = ["python", "manage.py", name]
    for action in parser._actions:  # argparse keeps no public list (call_command reads it too)
        value = options.get(action.dest, action.default)
        if not action.option_strings or action.dest in ignore or value == action.default:
            continue
        if action.nargs == 0:
            words.append(action.option_strings[-1])
        else:
            values = value if isinstance(value, (list, tuple)) else [value]
            words += [action.option_strings[-1], *map(str, values)]
    return shlex.join(words)
