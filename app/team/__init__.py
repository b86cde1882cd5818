"""Team figures of a campaign: the workers' profile, employer versus workers, the report and the exports."""
