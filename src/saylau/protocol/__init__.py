"""One polling station's count for one contest and round, and its control relations."""
