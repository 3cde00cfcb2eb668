"""The US Trafficking in Persons report read critically: tier placements (:mod:`.tiers`), the global
law-enforcement table (:mod:`.enforcement`) and its two tabulations (:mod:`.sources`)."""
