"""QI project evaluation helpers used by dbt Python models (placebo inference)."""
