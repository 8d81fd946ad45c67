"""The messages of click (the command-line library) that a styrdok user can see, for extraction.

Never imported: `make messages` reads the N_()/ngettext() calls below so that the Swedish catalogue
holds click's own words ("Usage:", "Missing option" …); cli.py routes click's gettext calls to
styrdok.i18n. tests/test_i18n.py checks that click still has each of these msgids.
"""

from .i18n import N_, ngettext

MESSAGES = [
    N_('Aborted!'),
    N_('Argument {name!r} takes {nargs} values.'),
    N_('Choose from:\n\t{choices}'),
    N_('Commands'),
    N_('Could not open file {filename!r}: {message}'),
    N_('Error: {message}'),
    N_('Invalid value for {param_hint}: {message}'),
    N_('Invalid value: {message}'),
    N_('Missing argument'),
    N_('Missing command.'),
    N_('Missing option'),
    N_('Missing parameter'),
    N_('Missing parameter: {param_name}'),
    N_('Missing {param_type}'),
    N_('No such command {name!r}.'),
    N_('No such option {name!r}.'),
    N_('Option {name!r} does not take a value.'),
    N_('Options'),
    N_('Show the version and exit.'),
    N_('Show this message and exit.'),
    N_("Try '{command} {option}' for help."),
    N_('Usage:'),
    N_('default: {default}'),
    N_('deprecated'),
    N_('directory'),
    N_('env var: {var}'),
    N_('file'),
    N_('path'),
    N_('required'),
    N_('unknown error'),
    N_('{name} {filename!r} does not exist.'),
    N_('{name} {filename!r} is a directory.'),
    N_('{name} {filename!r} is a file.'),
    N_('{name} {filename!r} is not executable.'),
    N_('{name} {filename!r} is not readable.'),
    N_('{name} {filename!r} is not writable.'),
    N_('{value!r} is not a valid UUID.'),
    N_('{value!r} is not a valid boolean. Recognized values: {states}'),
    N_('{value!r} is not a valid {number_type}.'),
    N_('{value} is not in the range {range}.'),
]

PLURALS = [
    ngettext('Did you mean {possibility}?', '(Did you mean one of: {possibilities}?)', 2),
    ngettext('Got unexpected extra argument ({args})', 'Got unexpected extra arguments ({args})', 2),
    ngettext('Option {name!r} requires an argument.', 'Option {name!r} requires {nargs} arguments.', 2),
    ngettext('Takes {nargs} values but 1 was given.', 'Takes {nargs} values but {len} were given.', 2),
    ngettext('{len_type} values are required, but {len_value} was given.', '{len_type} values are required, but {len_value} were given.', 2),
    ngettext('{value!r} does not match the format {format}.', '{value!r} does not match the formats {formats}.', 2),
    ngettext('{value!r} is not {choice}.', '{value!r} is not one of {choices}.', 2),
]
