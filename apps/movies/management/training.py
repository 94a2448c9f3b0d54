"""What the movies training commands share: the command line their manifest entry records."""

import argparse
import shlex

from django.core.management.base import BaseCommand


def command_line(command: BaseCommand, name: str, options: dict) -> str:
    """``python manage.py <name>`` with each of the command's own options that ``options`` sets
    away from its default, in the order ``--help`` lists them: the call that repeats this run,
    whether it came from a shell or from ``call_command``."""
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    words = ["python", "manage.py", name]
    for action in parser._actions:  # argparse keeps no public list (call_command reads it too)
        value = options.get(action.dest, action.default)
        if not action.option_strings or value == action.default:
            continue
        words += [action.option_strings[-1]] if action.nargs == 0 else [action.option_strings[-1], str(value)]
    return shlex.join(words)
