"""Render stage: a policy (or a remissversion, a redline) as DOCX, PDF and HTML, in memory."""

from __future__ import annotations

from .policy import render_policy

__all__ = ["render_policy"]
