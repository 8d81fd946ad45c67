"""Write styrdok's generated Word reference document, as a starting point for templates/reference.docx."""

import sys
from pathlib import Path

from styrdok.render.docx_reference import build_reference_docx

target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/reference.docx")
target.write_bytes(build_reference_docx())
print(f"wrote {target}")
