"""The calendar: each stage takes tabulated totals and the law, applies the rules, records why."""
