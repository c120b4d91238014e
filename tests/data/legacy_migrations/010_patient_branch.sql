-- The branch a patient goes to (an id from `branches:` in replies/clinic.yaml), asked once and
-- only when an answer depends on it; NULL until then and for a clinic without branches. Only
-- the id is kept: never what the patient wrote to name it.
ALTER TABLE patients ADD COLUMN branch TEXT;
