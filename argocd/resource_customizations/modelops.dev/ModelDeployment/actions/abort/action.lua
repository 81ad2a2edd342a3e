-- Asks the ModelOps operator to roll the canary back: all traffic to stable, the version rejected for this deployment.
-- Sets the annotation modelops.dev/action=abort, the request the operator consumes: it acts, records the
-- outcome in status.lastAction and removes the annotation. Never touches spec, so Git stays the truth.
local requested = "abort"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local pending = obj.metadata.annotations["modelops.dev/action"]
if pending ~= nil and pending ~= requested then
  error("modelops.dev/action=" .. pending .. " is still pending: the operator has not consumed it yet", 0)
end
obj.metadata.annotations["modelops.dev/action"] = requested
return obj
