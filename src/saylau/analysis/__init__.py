"""What observers and researchers ask of a result: indices, counterfactual laws, forensics."""
