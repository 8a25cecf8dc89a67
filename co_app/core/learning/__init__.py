"""Learning checks (issue 21): a module's check questions asked before and after it, the
answers recorded per person or as a group tally (``answers``), and the share correct
before and after, by sex and age group (``report``)."""
