"""Report pages: new report, detail, votes, comments and triage."""
