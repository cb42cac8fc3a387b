-- Spindle schema, version 7. H2 took the old single-column state index for pages of one state and sorted them;
-- volume_state_page (state, created, id) of version 6 serves every query the old one did.
DROP INDEX volume_state;
