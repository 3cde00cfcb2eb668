"""The US Trafficking in Persons report read critically: tier placements (:mod:`.tiers`), the global
law-enforcement table (:mod:`.enforcement`) and its two tabulations (:mod:`.sources`), one country's
UNODC figures beside its tier (:mod:`.country`) and workshop exercise 3 (:mod:`.exercise`).
``tiers.analyse`` and ``enforcement.analyse`` run notebooks 31 and 30 in one call each."""
