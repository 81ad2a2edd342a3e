-- Asks the ModelOps operator to hold the canary at its current step until resume, promote or abort.
-- Sets the annotation modelops.dev/action=pause, the request the operator consumes: it acts, records the
-- outcome in status.lastAction and removes the annotation. Never touches spec, so Git stays the truth.
local requested = "pause"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local pending = obj.metadata.annotations["modelops.dev/action"]
if pending ~= nil and pending ~= requested then
  error("modelops.dev/action=" .. pending .. " is still pending: the operator has not consumed it yet", 0)
end
obj.metadata.annotations["modelops.dev/action"] = requested
return obj
