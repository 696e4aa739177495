"""The static HTML review site: `tongbao review OUT` (see pipeline/review/site.py)."""

from pipeline.review.site import ReviewSummary, build_site

__all__ = ["ReviewSummary", "build_site"]
