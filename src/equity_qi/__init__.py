"""equity-qi: an SQL-first warehouse for equity-focused quality improvement in NHS primary care."""
