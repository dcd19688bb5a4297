#!/usr/bin/env python3
"""Checks that huggingface_hub's papers client works against a running Paperboy.

Usage: PYTHONPATH=<huggingface_hub>/src python3 scripts/check-hf-client.py http://localhost:8080

huggingface_hub is not vendored here; see ../shared/notes/hf-api-contract.md for how to get
its source and the Debian packages it needs. The script exits non-zero on the first failure.
"""
import sys
from datetime import date, timedelta

from huggingface_hub import HfApi

base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://localhost:8080"
api = HfApi(endpoint=base, token=False)


def check(cond, msg):
    if not cond:
        print("FAIL:", msg)
        sys.exit(1)
    print("ok:", msg)


latest = list(api.list_daily_papers())
check(len(latest) > 0, f"list_daily_papers() without a date answers {len(latest)} papers")
day = latest[0].submitted_at.date()

papers = list(api.list_daily_papers(date=day.isoformat()))
check(all(p.submitted_at.date() == day for p in papers), f"date={day}: every paper is on that day")
for p in papers:
    check(p.id and p.title and p.authors and p.authors[0].name and isinstance(p.upvotes, int)
          and isinstance(p.comments, int) and p.published_at, f"paper {p.id} has id, title, authors, upvotes, comments, publishedAt")
    break

iso = day.isocalendar()
week = f"{iso[0]}-W{iso[1]:02d}"
wp = list(api.list_daily_papers(week=week, limit=100))
monday = day - timedelta(days=day.weekday())
check(wp and all(monday <= p.submitted_at.date() < monday + timedelta(days=7) for p in wp), f"week={week}: all in the week")
mp = list(api.list_daily_papers(month=day.strftime("%Y-%m"), limit=100))
check(mp and all(p.submitted_at.strftime("%Y-%m") == day.strftime("%Y-%m") for p in mp), "month: all in the month")

p0 = list(api.list_daily_papers(month=day.strftime("%Y-%m"), limit=5, p=0))
p1 = list(api.list_daily_papers(month=day.strftime("%Y-%m"), limit=5, p=1))
check(len(p0) == 5 and not {p.id for p in p0} & {p.id for p in p1}, "limit and p page without overlap")
for sort in ("trending", "publishedAt"):
    check(len(list(api.list_daily_papers(month=day.strftime("%Y-%m"), sort=sort, limit=10))) > 0, f"sort={sort} works")
check(list(api.list_daily_papers(date=day.isoformat(), p=1000)) == [], "a page past the end is []")

info = api.paper_info(papers[0].id)
check(info.id == papers[0].id and info.title == papers[0].title, f"paper_info({papers[0].id})")
try:
    api.paper_info("2401.99999")
    check(False, "paper_info of an unknown paper raises")
except Exception as e:  # HfHubHTTPError for the 404
    check("404" in str(e), "paper_info of an unknown paper raises a 404")

found = list(api.list_papers(query=papers[0].title))
check(any(p.id == papers[0].id for p in found), f"list_papers(query=<its title>) finds {papers[0].id}")
print("all checks passed")
