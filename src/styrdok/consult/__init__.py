"""The consultation (remiss) of a revision, from sending it out to the decision memo.

- `numbering`: the reference numbers of every heading, paragraph and list item;
- `package`: the remiss package (remissversion, missiv, svarsmall, the redline against the version in force);
- `form`: the response form's identity and row bindings, and reading a filled-in form back;
- `send`: `consult()`, which writes the package and records the consultation in the front matter;
- `responses`: `compile_responses()`, the remissammanställning from the returned forms and letters;
- `memo`: `write_memo()`, the tjänsteskrivelse for the deciding body.
"""

from .package import Remiss, remiss_of, render_package
from .send import ConsultResult, consult

__all__ = ["ConsultResult", "Remiss", "consult", "remiss_of", "render_package"]
