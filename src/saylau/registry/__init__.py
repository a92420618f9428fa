"""Who and where: elections, contests, parties, lists, candidates, territories, stations."""
