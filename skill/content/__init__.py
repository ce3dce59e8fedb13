"""Everything the skill says and the tables it reads: the catalog of content/<locale>/, its
readers (questions, plan weeks, rituals) and the checks that run at start-up."""
