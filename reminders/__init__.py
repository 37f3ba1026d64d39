"""Work that happens later: reminder jobs as plain functions and the APScheduler clock process."""
