"""The edges for files: readers and writers of the formats Saylau speaks."""
