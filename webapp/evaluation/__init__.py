"""Expert evaluation of submitted plans: rubrics per call, scoring arithmetic and the ranking."""
