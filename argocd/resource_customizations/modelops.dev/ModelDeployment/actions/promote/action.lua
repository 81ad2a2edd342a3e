-- Asks the ModelOps operator to end the canary's current step and go on to the next one (also out of a pause).
-- Sets the annotation modelops.dev/action=promote, the request the operator consumes: it acts, records the
-- outcome in status.lastAction and removes the annotation. Never touches spec, so Git stays the truth.
local requested = "promote"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local pending = obj.metadata.annotations["modelops.dev/action"]
if pending ~= nil and pending ~= requested then
  error("modelops.dev/action=" .. pending .. " is still pending: the operator has not consumed it yet", 0)
end
obj.metadata.annotations["modelops.dev/action"] = requested
return obj
