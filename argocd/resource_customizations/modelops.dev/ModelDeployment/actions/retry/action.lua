-- Asks the ModelOps operator to take back this deployment's rejection of the rolled back (or pinned) version, so its canary starts again.
-- Sets the annotation modelops.dev/action=retry, the request the operator consumes: it acts, records the
-- outcome in status.lastAction and removes the annotation. Never touches spec, so Git stays the truth.
local requested = "retry"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local pending = obj.metadata.annotations["modelops.dev/action"]
if pending ~= nil and pending ~= requested then
  error("modelops.dev/action=" .. pending .. " is still pending: the operator has not consumed it yet", 0)
end
obj.metadata.annotations["modelops.dev/action"] = requested
return obj
